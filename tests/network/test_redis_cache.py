"""The Redis cache reuses one client per connection pool (network/redis_cache.py). No server
is needed: a client connects only when it sends a command."""

from network.redis_cache import PortalRedisCache


def test_one_client_per_pool_reused_for_every_operation():
    client = PortalRedisCache("redis://127.0.0.1:1/0", {})._cache
    first = client.get_client()
    assert client.get_client() is first
    assert client.get_client(write=True) is first  # one server: reads and writes share it
    assert first.connection_pool is client._pools[0]


def test_reads_from_a_replica_and_writes_to_the_first_server_each_reuse_their_client():
    client = PortalRedisCache(["redis://127.0.0.1:1/0", "redis://127.0.0.1:2/0"], {})._cache
    writer = client.get_client(write=True)
    reader = client.get_client()
    assert writer.connection_pool is client._pools[0]
    assert reader.connection_pool is client._pools[1]
    assert client.get_client(write=True) is writer
    assert client.get_client() is reader
