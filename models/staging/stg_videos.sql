select
    video_id,
    channel_id,
    trim(title) as title,
    duration_seconds,
    cast(published_at as timestamp) as published_at
from {{ ref("videos") }}
