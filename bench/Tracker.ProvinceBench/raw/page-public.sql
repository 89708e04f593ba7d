-- /public?jurisdictionId=<city>: the year's published livelihood items of the city, one page of 20.
SELECT id, code, title, kind, jurisdiction_id, lead_department_id, deadline, status, phase, progress, last_reported_on, next_milestone_due
FROM initiatives WHERE is_published AND kind = 'Livelihood' AND year = :year AND jurisdiction_id = :city
ORDER BY deadline, id LIMIT 20;
