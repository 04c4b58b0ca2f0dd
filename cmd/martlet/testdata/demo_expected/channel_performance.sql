-- Expected rows of the channel_performance mart, computed straight from the
-- seed tables (start_date = 2024-01-01), without going through any model.
with in_window as (
    select
        vi.channel_id,
        ve.user_id,
        ve.watch_seconds,
        vi.duration_seconds,
        lower(u.plan) as plan
    from main.view_events as ve
    join main.videos as vi on vi.video_id = ve.video_id
    join main.users as u on u.user_id = ve.user_id
    where ve.viewed_at >= timestamp '2024-01-01 00:00:00'
)
select
    ch.channel_id,
    ch.channel_name,
    lower(ch.category) as category,
    ch.created_at::date as created_on,
    (select count(*) from main.videos as v where v.channel_id = ch.channel_id) as videos_published,
    (select max(v.published_at) from main.videos as v where v.channel_id = ch.channel_id) as last_published_at,
    (select count(*) from in_window as w where w.channel_id = ch.channel_id) as views,
    (select count(distinct w.user_id) from in_window as w where w.channel_id = ch.channel_id) as unique_viewers,
    (select count(*) from in_window as w where w.channel_id = ch.channel_id and w.plan = 'free') as free_views,
    (select count(*) from in_window as w where w.channel_id = ch.channel_id and w.plan = 'basic') as basic_views,
    (select count(*) from in_window as w where w.channel_id = ch.channel_id and w.plan = 'premium') as premium_views,
    round((select coalesce(sum(w.watch_seconds), 0) from in_window as w where w.channel_id = ch.channel_id) / 60.0, 1) as watch_minutes,
    (select round(sum(w.watch_seconds) / (60 * count(*)), 2) from in_window as w where w.channel_id = ch.channel_id) as avg_minutes_per_view,
    (select round(sum(w.watch_seconds) / sum(w.duration_seconds), 3) from in_window as w where w.channel_id = ch.channel_id) as completion_rate
from main.channels as ch
