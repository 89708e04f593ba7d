-- GET /api/board?jurisdictionId=<county>: BASELINES "overdue items of one jurisdiction, by deadline, 50 rows", for the county and below.
SELECT id, code, title, kind, jurisdiction_id, lead_department_id, deadline, status, phase, progress, last_reported_on, next_milestone_due
FROM initiatives WHERE status IN ('Planned', 'InProgress') AND deadline < :today
  AND jurisdiction_id IN (SELECT id FROM jurisdictions WHERE path LIKE :countypath || '%')
ORDER BY deadline, id LIMIT 50;
