select
    channel_id,
    channel_name,
    lower(category) as category,
    cast(created_at as date) as created_on
from {{ ref("channels") }}
