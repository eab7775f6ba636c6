"""What the page benchmarks share: the portal under gunicorn with production settings on a
loopback port, and demo personas signed in by writing their sessions directly."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SME_EMAIL = "sme.admin@demo.healthtech.example"
MANAGER_EMAIL = "manager.welfaretech@demo.healthtech.example"
MUNICIPALITY_EMAIL = "odense@demo.healthtech.example"
SECRET_KEY = secrets.token_urlsafe(50)


def server_env() -> dict:
    """Production settings: no DJANGO_DEBUG, a secret key of this run's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="network.settings",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


def setup_django() -> None:
    os.environ.update(server_env())
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=server_env(), check=True)


def session_for(user) -> str:
    """A signed-in session for `user`, written to the session store the server reads."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def with_totp(user) -> None:
    """Staff need an authenticator in production; give the persona one if the data has none."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int, worker_class: str = "sync", threads: int = 1):
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "network.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--worker-class={worker_class}",
        "--log-level=warning",
    ]
    if worker_class == "gthread":
        command.append(f"--threads={threads}")
    server = subprocess.Popen(command, cwd=ROOT, env=server_env())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not answer within 60 s")


def stop(server) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
