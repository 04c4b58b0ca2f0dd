{{ config(materialized="incremental", unique_key=["video_id", "view_date"]) }}

{# One row per video per day. An incremental run re-processes the latest day #}
{# already loaded (it may have been partial): its rows are replaced by #}
{# (video_id, view_date), and newer days are appended. #}
select
    video_id,
    view_date,
    channel_id,
    count(*) as views,
    count(distinct user_id) as unique_viewers,
    sum(watch_seconds) as watch_seconds,
    {{ seconds_to_minutes("sum(watch_seconds)") }} as watch_minutes,
    round({{ safe_divide("sum(watch_seconds)", "sum(duration_seconds)") }}, 3) as completion_rate
from {{ ref("int_views_enriched") }}
{% if is_incremental() %}
where view_date >= (select max(view_date) from {{ this }})
{% endif %}
group by video_id, view_date, channel_id
