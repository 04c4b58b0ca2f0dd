{# A video cannot be watched before it is published. Returns the offending events. #}
select
    e.event_id,
    e.video_id,
    e.viewed_at,
    v.published_at
from {{ ref("stg_view_events") }} as e
join {{ ref("stg_videos") }} as v on v.video_id = e.video_id
where e.viewed_at < v.published_at
