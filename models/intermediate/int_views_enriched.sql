{# In-window view events with the video and viewer attributes the marts need. #}
select
    e.event_id,
    e.user_id,
    e.video_id,
    v.channel_id,
    e.viewed_at,
    e.view_date,
    e.device,
    e.watch_seconds,
    v.duration_seconds,
    u.plan,
    u.country_code
from {{ ref("int_views_in_window") }} as e
join {{ ref("stg_videos") }} as v on v.video_id = e.video_id
join {{ ref("stg_users") }} as u on u.user_id = e.user_id
