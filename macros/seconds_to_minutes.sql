{# A duration in seconds as minutes, rounded to `precision` decimal places. #}
{% macro seconds_to_minutes(col, precision=1) %}round({{ col }} / 60.0, {{ precision }}){% endmacro %}
