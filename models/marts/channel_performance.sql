{# One row per channel, including channels nobody watched yet. #}
{% set plans = ["free", "basic", "premium"] %}

with videos_per_channel as (
    select
        channel_id,
        count(*) as videos_published,
        max(published_at) as last_published_at
    from {{ ref("stg_videos") }}
    group by channel_id
),

views_per_channel as (
    select
        channel_id,
        count(*) as views,
        count(distinct user_id) as unique_viewers,
        {% for plan in plans %}
        count(*) filter (where plan = '{{ plan }}') as {{ plan }}_views,
        {% endfor %}
        sum(watch_seconds) as watch_seconds,
        sum(duration_seconds) as duration_seconds
    from {{ ref("int_views_enriched") }}
    group by channel_id
)

select
    c.channel_id,
    c.channel_name,
    c.category,
    c.created_on,
    coalesce(vc.videos_published, 0) as videos_published,
    vc.last_published_at,
    coalesce(w.views, 0) as views,
    coalesce(w.unique_viewers, 0) as unique_viewers,
    {% for plan in plans %}
    coalesce(w.{{ plan }}_views, 0) as {{ plan }}_views,
    {% endfor %}
    {{ seconds_to_minutes("coalesce(w.watch_seconds, 0)") }} as watch_minutes,
    round({{ safe_divide("w.watch_seconds", "w.views * 60") }}, 2) as avg_minutes_per_view,
    round({{ safe_divide("w.watch_seconds", "w.duration_seconds") }}, 3) as completion_rate
from {{ ref("stg_channels") }} as c
left join videos_per_channel as vc on vc.channel_id = c.channel_id
left join views_per_channel as w on w.channel_id = c.channel_id
