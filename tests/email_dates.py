"""Dates as an English email shows them, whatever the project's English date format is."""

from datetime import date, time

from django.utils import formats, translation


def en_date(day: date) -> str:
    with translation.override("en"):
        return formats.date_format(day, "DATE_FORMAT")


def en_time(moment: time) -> str:
    with translation.override("en"):
        return formats.time_format(moment, "TIME_FORMAT")
