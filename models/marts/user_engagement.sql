{# One row per user: what they watched since start_date, and on which devices. #}
{# The devices var gives one <device>_views column per entry. #}
select
    u.user_id,
    u.country_code,
    u.plan,
    u.signup_date,
    count(e.event_id) as views,
    count(distinct e.video_id) as distinct_videos,
    count(distinct e.channel_id) as distinct_channels,
    {{ seconds_to_minutes("coalesce(sum(e.watch_seconds), 0)", 2) }} as watch_minutes,
    min(e.viewed_at) as first_viewed_at,
    max(e.viewed_at) as last_viewed_at,
    case
        when count(e.event_id) >= 20 then 'heavy'
        when count(e.event_id) >= 5 then 'regular'
        when count(e.event_id) >= 1 then 'light'
        else 'dormant'
    end as engagement_tier,
    {% for device in var("devices") %}
    count(e.event_id) filter (where e.device = '{{ device }}') as {{ device }}_views{% if not loop.last %},{% endif %}
    {% endfor %}
from {{ ref("stg_users") }} as u
left join {{ ref("int_views_enriched") }} as e on e.user_id = u.user_id
group by all
