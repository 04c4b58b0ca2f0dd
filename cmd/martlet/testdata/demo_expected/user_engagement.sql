-- Expected rows of the user_engagement mart, computed straight from the seed
-- tables (start_date = 2024-01-01, devices = [mobile, desktop, tv]), without
-- going through any model.
select
    u.user_id,
    upper(u.country) as country_code,
    lower(u.plan) as plan,
    u.signup_date,
    coalesce(a.views, 0) as views,
    coalesce(a.distinct_videos, 0) as distinct_videos,
    coalesce(a.distinct_channels, 0) as distinct_channels,
    round(coalesce(a.watch_seconds, 0) / 60.0, 2) as watch_minutes,
    a.first_viewed_at,
    a.last_viewed_at,
    case
        when a.views is null then 'dormant'
        when a.views < 5 then 'light'
        when a.views < 20 then 'regular'
        else 'heavy'
    end as engagement_tier,
    coalesce(a.mobile_views, 0) as mobile_views,
    coalesce(a.desktop_views, 0) as desktop_views,
    coalesce(a.tv_views, 0) as tv_views
from main.users as u
left join (
    select
        ve.user_id,
        count(*) as views,
        count(distinct ve.video_id) as distinct_videos,
        count(distinct vi.channel_id) as distinct_channels,
        sum(ve.watch_seconds) as watch_seconds,
        min(ve.viewed_at) as first_viewed_at,
        max(ve.viewed_at) as last_viewed_at,
        sum(case when lower(ve.device) = 'mobile' then 1 else 0 end) as mobile_views,
        sum(case when lower(ve.device) = 'desktop' then 1 else 0 end) as desktop_views,
        sum(case when lower(ve.device) = 'tv' then 1 else 0 end) as tv_views
    from main.view_events as ve
    join main.videos as vi on vi.video_id = ve.video_id
    where ve.viewed_at >= timestamp '2024-01-01 00:00:00'
    group by ve.user_id
) as a on a.user_id = u.user_id
