{# Every view event since start_date is counted once in daily_video_stats. #}
with expected as (
    select count(*) as views
    from {{ ref("stg_view_events") }}
    where viewed_at >= cast('{{ var("start_date") }}' as date)
),

loaded as (
    select sum(views) as views
    from {{ ref("daily_video_stats") }}
)

select
    expected.views as expected_views,
    loaded.views as loaded_views
from expected
cross join loaded
where expected.views is distinct from loaded.views
