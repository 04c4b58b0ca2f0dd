{# num / den without integer truncation; null instead of an error when den is 0. #}
{% macro safe_divide(num, den) %}(cast({{ num }} as numeric) / nullif({{ den }}, 0)){% endmacro %}
