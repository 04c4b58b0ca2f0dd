{# View events in the reporting window (on or after the start_date var). #}
select
    event_id,
    user_id,
    video_id,
    viewed_at,
    cast(viewed_at as date) as view_date,
    watch_seconds,
    device
from {{ ref("stg_view_events") }}
where viewed_at >= cast('{{ var("start_date") }}' as date)
