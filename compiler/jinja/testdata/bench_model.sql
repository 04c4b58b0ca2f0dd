{{ config(
    materialized="incremental",
    unique_key=["account_id", "day"],
    tags=["finance", "daily"],
    schema="marts"
) }}

{#
  Daily revenue per account, with rolling windows.
  Rebuilt incrementally from the last loaded day.
#}

{% set windows = [7, 28, 90] %}
{% set currencies = {"usd": 1.0, "eur": 1.08, "gbp": 1.27} %}
{% set metrics = ["gross", "net", "refunds"] %}

{% macro money(col, scale=2) -%}
    round(cast({{ col }} as decimal(18, 4)) / 100.0, {{ scale }})
{%- endmacro %}

with events as (

    select
        e.account_id,
        cast(e.occurred_at as date) as day,
        e.currency,
        e.amount_cents,
        e.kind
    from {{ ref("stg_payment_events") }} as e
    where e.amount_cents is not null
    {% if is_incremental() %}
      and cast(e.occurred_at as date) >= (select max(day) - interval 3 day from {{ this }})
    {% endif %}

),

converted as (

    select
        account_id,
        day,
        case currency
        {%- for code, rate in currencies.items() %}
            when '{{ code }}' then amount_cents * {{ rate }}
        {%- endfor %}
            else amount_cents
        end as amount_usd_cents,
        kind
    from events

),

daily as (

    select
        account_id,
        day,
        {%- for m in metrics %}
        sum(case when kind = '{{ m }}' then amount_usd_cents else 0 end) as {{ m }}_cents{{ "," if not loop.last }}
        {%- endfor %}
    from converted
    group by 1, 2

),

accounts as (

    select account_id, plan, region
    from {{ ref("dim_accounts") }}
    where {{ "is_active" if var("only_active", true) else "true" }}

),

final as (

    select
        d.account_id,
        a.plan,
        a.region,
        d.day,
        {% for m in metrics -%}
        {{ money("d." ~ m ~ "_cents") }} as {{ m }},
        {% endfor -%}
        {%- for w in windows %}
        sum(d.net_cents) over (
            partition by d.account_id
            order by d.day
            rows between {{ w - 1 }} preceding and current row
        ) / 100.0 as net_{{ w }}d{% if not loop.last %},{% endif %}
        {%- endfor %}
    from daily as d
    left join accounts as a using (account_id)

)

select *
from final
{% if target.name == "dev" %}
where day >= current_date - interval {{ var("dev_days", 30) }} day
{% endif %}
order by account_id, day
