-- Real time: meetings are on the 15-minute grid, and a task books the first fitting slot from
-- `window_from` (a date or an ISO 8601 instant, as asked; when the task was made if null), over
-- `window_days` days (7 if null), in `time_zone` (UTC if null). The instants it booked are kept.
alter table tasks
  drop constraint tasks_duration_check,
  add constraint tasks_duration_check check (duration between 15 and 1440 and duration % 15 = 0),
  add column window_from text,
  add column window_days integer check (window_days between 1 and 28),
  add column time_zone   text,
  add column starts_at   timestamptz,
  add column ends_at     timestamptz;

-- A suggestion stored before was a weekday and whole hours in UTC, booked (and invited to) at its first
-- occurrence strictly after the task was made: it becomes the dated suggestion of those same instants.
update tasks set
  suggestion = (tasks.suggestion - 'if_needed') || jsonb_build_object(
    'date',  to_char(placed.starts, 'YYYY-MM-DD'),
    'start', to_char(placed.starts, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    'end',   to_char(placed.starts + placed.hours * interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  ) || case when jsonb_array_length(coalesce(tasks.suggestion -> 'if_needed', '[]')) > 0
            then jsonb_build_object('if_needed', tasks.suggestion -> 'if_needed') else '{}' end,
  starts_at = placed.starts at time zone 'UTC',
  ends_at = (placed.starts + placed.hours * interval '1 hour') at time zone 'UTC'
from (
  select id, hours,
         candidate + case when candidate <= made then interval '7 days' else interval '0' end as starts
  from (
    select id, made,
           (suggestion -> 'slot' ->> 1)::numeric - (suggestion -> 'slot' ->> 0)::numeric as hours,
           date_trunc('day', made)
             + ((weekday - extract(dow from made)::int + 7) % 7) * interval '1 day'
             + (suggestion -> 'slot' ->> 0)::numeric * interval '1 hour' as candidate
    from (
      select id, suggestion, created_at at time zone 'UTC' as made,
             array_position(array['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'],
                            suggestion ->> 'day') - 1 as weekday
      from tasks
      where suggestion is not null and not suggestion ? 'start'
    ) as weekly
  ) as candidates
) as placed
where tasks.id = placed.id;
