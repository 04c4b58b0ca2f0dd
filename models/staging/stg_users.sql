{# Country codes and plan names arrive in mixed case: normalise both. #}
select
    user_id,
    cast(signup_date as date) as signup_date,
    upper(country) as country_code,
    lower(plan) as plan,
    birth_year
from {{ ref("users") }}
