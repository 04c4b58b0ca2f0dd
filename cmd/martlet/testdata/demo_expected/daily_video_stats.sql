-- Expected rows of the daily_video_stats mart, computed straight from the
-- seed tables (start_date = 2024-01-01), without going through any model.
select
    ve.video_id,
    ve.viewed_at::date as view_date,
    vi.channel_id,
    count(*) as views,
    count(distinct ve.user_id) as unique_viewers,
    sum(ve.watch_seconds) as watch_seconds,
    round(sum(ve.watch_seconds) / 60.0, 1) as watch_minutes,
    round(sum(ve.watch_seconds) / sum(vi.duration_seconds), 3) as completion_rate
from main.view_events as ve, main.videos as vi
where vi.video_id = ve.video_id
    and ve.viewed_at >= timestamp '2024-01-01 00:00:00'
    and exists (select 1 from main.users as u where u.user_id = ve.user_id)
group by all
