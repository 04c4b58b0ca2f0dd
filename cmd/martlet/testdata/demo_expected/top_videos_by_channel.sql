-- Expected rows of the top_videos_by_channel mart, computed straight from the
-- seed tables (start_date = 2024-01-01), without going through any model.
-- A video's rank is 1 + the number of videos of its channel that beat it
-- (more views; then more watch time; then a lower video_id).
with totals as (
    select
        vi.channel_id,
        vi.video_id,
        vi.title,
        vi.published_at,
        count(*) as views,
        sum(ve.watch_seconds) as watch_seconds
    from main.view_events as ve
    join main.videos as vi on vi.video_id = ve.video_id
    join main.users as u on u.user_id = ve.user_id
    where ve.viewed_at >= timestamp '2024-01-01 00:00:00'
    group by vi.channel_id, vi.video_id, vi.title, vi.published_at
),

ranked as (
    select
        t.*,
        1 + (
            select count(*)
            from totals as b
            where b.channel_id = t.channel_id
                and (
                    b.views > t.views
                    or (b.views = t.views and b.watch_seconds > t.watch_seconds)
                    or (b.views = t.views and b.watch_seconds = t.watch_seconds and b.video_id < t.video_id)
                )
        ) as rank_in_channel
    from totals as t
)

select
    r.channel_id,
    ch.channel_name,
    r.video_id,
    trim(r.title) as title,
    r.published_at,
    r.views,
    round(r.watch_seconds / 60.0, 1) as watch_minutes,
    r.rank_in_channel
from ranked as r
join main.channels as ch on ch.channel_id = r.channel_id
where r.rank_in_channel <= 3
