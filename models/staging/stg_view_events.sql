select
    event_id,
    user_id,
    video_id,
    cast(viewed_at as timestamp) as viewed_at,
    watch_seconds,
    lower(device) as device
from {{ ref("view_events") }}
