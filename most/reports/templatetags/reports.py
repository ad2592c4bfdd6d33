"""Arithmetic of the server-drawn SVG bar charts (no script draws them)."""

from django import template

register = template.Library()

ROW = 22
BAR_SPACE = 180  # from x=170 to leave room for the value after the bar


@register.filter
def chart_row(index):
    return index * ROW


@register.filter
def chart_height(rows):
    return max(rows, 1) * ROW + 4


@register.filter
def bar_width(count, largest):
    if not count or not largest:
        return 0
    return max(round(BAR_SPACE * count / largest), 2)
