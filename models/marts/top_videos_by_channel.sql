{# The most viewed videos of each channel in the reporting window. #}
{% set top_n = 3 %}

with video_totals as (
    select
        video_id,
        sum(views) as views,
        sum(watch_seconds) as watch_seconds
    from {{ ref("daily_video_stats") }}
    group by video_id
),

ranked as (
    select
        c.channel_id,
        c.channel_name,
        v.video_id,
        v.title,
        v.published_at,
        t.views,
        t.watch_seconds,
        {{ seconds_to_minutes("t.watch_seconds") }} as watch_minutes,
        row_number() over (
            partition by c.channel_id
            order by t.views desc, t.watch_seconds desc, v.video_id
        ) as rank_in_channel
    from video_totals as t
    join {{ ref("stg_videos") }} as v on v.video_id = t.video_id
    join {{ ref("stg_channels") }} as c on c.channel_id = v.channel_id
    qualify rank_in_channel <= {{ top_n }}
)

{# watch_seconds only breaks ties; the mart shows minutes. #}
select * exclude (watch_seconds)
from ranked
