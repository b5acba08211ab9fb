"""The recompute's scoring as one PostgreSQL statement: the arithmetic of ``priorities/scoring.py``
done where the data is, so 25,000 schools and 35,000 LSOAs never travel to Python and back.

The Python implementation (``recompute_priorities(in_sql=False)``) stays: SQLite uses it, and a test
runs both on the same data on PostgreSQL and compares every figure. What keeps the two equal:

- each LSOA's mean crime point goes to the British National Grid by the steps of pyproj's
  EPSG:4326 -> EPSG:27700 transformation without a grid, in plain float arithmetic (no PostGIS):
  WGS84 geodetic -> cartesian; the inverse of the 7-parameter Helmert "OSGB36 to WGS 84 (6)"
  (position vector); cartesian -> Airy 1830 geodetic by Bowring's formula (as PROJ's ``cart``);
  Transverse Mercator by the Ordnance Survey's series. Within Great Britain it agrees with pyproj
  to under a millimetre (a test checks it); out at sea, outside that Helmert's bounding box, both
  take the "ballpark" operation (no datum shift).
- a point (``scoring.points``) is the float's shortest decimal (``::text``, as Python's ``repr``)
  times the weight, rounded half up; stored percentiles are the float rounded as Python's
  ``format`` does (``to_char``, which is C's printf).
- percentiles count the values strictly below (``rank() - 1``), ranks break ties by URN length
  then URN in byte order, and band limits are ``ceil`` of float products, as ``Band.for_rank``;
- exposures are sums of weighted counts in hundredths of a crime, as integers (the weights have two
  decimal places): exact, so equal whatever the order of the sums.
"""

from __future__ import annotations

# A CTE ``geodetic(lsoa_code, weighted, longitude, latitude)`` (WGS84 degrees, on the ellipsoid) in, a
# CTE ``lsoa_point(lsoa_code, weighted, easting, northing)`` out. Each step is MATERIALIZED: inlined,
# the planner would repeat the trigonometry of every earlier step in every later expression. As pyproj
# does, a point outside the Helmert's area of use (its bounding box: out at sea) takes the "ballpark"
# operation instead: its latitude and longitude unchanged, projected on Airy 1830.
TO_GRID_CTES = """
wgs84_xyz AS MATERIALIZED (
    SELECT lsoa_code, weighted, phi, lam, nu * cos(phi) * cos(lam) AS x, nu * cos(phi) * sin(lam) AS y,
           nu * (1 - 0.00669437999014132) * sin(phi) AS z,
           longitude BETWEEN -8.82 AND 1.92 AND latitude BETWEEN 49.79 AND 60.94 AS helmert
    FROM geodetic,
         LATERAL (SELECT radians(longitude) AS lam, radians(latitude) AS phi) AS radians,
         LATERAL (SELECT 6378137.0::float8 / sqrt(1 - 0.00669437999014132 * sin(phi) ^ 2) AS nu) AS n
),
osgb36_xyz AS MATERIALIZED (
    -- X = R^T (X' - T) / (1 + s): rotations in arc seconds, s in parts per million.
    SELECT lsoa_code, weighted, phi, lam, helmert, (dx + rz * dy - ry * dz) / sc AS x,
           (-rz * dx + dy + rx * dz) / sc AS y, (ry * dx - rx * dy + dz) / sc AS z
    FROM wgs84_xyz, LATERAL (
        SELECT x - 446.448 AS dx, y + 125.157 AS dy, z - 542.06 AS dz, radians(0.15 / 3600) AS rx,
               radians(0.247 / 3600) AS ry, radians(0.842 / 3600) AS rz, 1 - 20.489e-6 AS sc
    ) AS shift
),
airy AS MATERIALIZED (
    SELECT lsoa_code, weighted,
           CASE WHEN helmert THEN atan2(z + e2s * b * sin(t) ^ 3, p - es * a * cos(t) ^ 3) ELSE phi END AS phi,
           CASE WHEN helmert THEN atan2(y, x) ELSE lam END AS lam
    FROM osgb36_xyz,
         LATERAL (SELECT 6377563.396::float8 AS a, 6356256.909::float8 AS b, sqrt(x ^ 2 + y ^ 2) AS p) AS axes,
         LATERAL (SELECT 1 - (b / a) ^ 2 AS es, (a / b) ^ 2 - 1 AS e2s, atan2(z * a, p * b) AS t) AS bowring
),
lsoa_point AS MATERIALIZED (
    SELECT lsoa_code, weighted,
           400000 + iv * l + v * l ^ 3 + vi * l ^ 5 AS easting,
           m - 100000 + ii * l ^ 2 + iii * l ^ 4 + iiia * l ^ 6 AS northing
    FROM airy,
         LATERAL (SELECT 6377563.396 * 0.9996012717 AS af, 6356256.909 * 0.9996012717 AS bf,
                         1 - (6356256.909::float8 / 6377563.396) ^ 2 AS e2,
                         (6377563.396 - 6356256.909) / (6377563.396 + 6356256.909) AS n, radians(49.0) AS phi0,
                         lam - radians(-2.0) AS l, sin(phi) AS s, cos(phi) AS c, tan(phi) ^ 2 AS t2) AS k,
         LATERAL (SELECT af / sqrt(1 - e2 * s ^ 2) AS nu, af * (1 - e2) / (1 - e2 * s ^ 2) ^ 1.5 AS rho) AS r,
         LATERAL (SELECT nu / rho - 1 AS eta2,
                         bf * ((1 + n + 1.25 * n ^ 2 + 1.25 * n ^ 3) * (phi - phi0)
                               - (3 * n + 3 * n ^ 2 + 2.625 * n ^ 3) * sin(phi - phi0) * cos(phi + phi0)
                               + (1.875 * n ^ 2 + 1.875 * n ^ 3) * sin(2 * (phi - phi0)) * cos(2 * (phi + phi0))
                               - 35.0 / 24 * n ^ 3 * sin(3 * (phi - phi0)) * cos(3 * (phi + phi0))) AS m) AS arc,
         LATERAL (SELECT nu / 2 * s * c AS ii, nu / 24 * s * c ^ 3 * (5 - t2 + 9 * eta2) AS iii,
                         nu / 720 * s * c ^ 5 * (61 - 58 * t2 + t2 ^ 2) AS iiia, nu * c AS iv,
                         nu / 6 * c ^ 3 * (nu / rho - t2) AS v,
                         nu / 120 * c ^ 5 * (5 - 18 * t2 + t2 ^ 2 + 14 * eta2 - 58 * t2 * eta2) AS vi) AS terms
)"""

# Every open school's score row, in ``services.SCORE_COLUMNS`` order, inserted for one run. The
# parameters are the values the run records (``PriorityRun.parameters``), not read again here.
INSERT_SCORES = f"""
INSERT INTO priorities_priorityscore (
    run_id, school_id, bcu_id, total, rank_in_bcu, band, crime, fsm, pupils, advice, coverage, crime_input,
    crime_lsoa_count, crime_percentile, fsm_input, pupils_input, pupils_percentile, advice_input, coverage_input
)
WITH weight AS MATERIALIZED (
    -- Weights in hundredths (scoring.weight_in_hundredths): every sum below is an exact integer.
    SELECT * FROM unnest(%(crime_types)s::text[], %(crime_type_weights)s::int8[]) AS w (crime_type, weight)
),
lsoa AS MATERIALIZED (
    SELECT a.lsoa_code,
           sum(a.count * coalesce(weight.weight, 0)) AS weighted,
           sum(a.located_count) FILTER (WHERE a.longitude IS NOT NULL AND a.latitude IS NOT NULL) AS located,
           sum(a.longitude * a.located_count) AS longitude_sum,
           sum(a.latitude * a.located_count) AS latitude_sum
    FROM priorities_crimeaggregate AS a LEFT JOIN weight ON weight.crime_type = a.crime_type
    WHERE a.month BETWEEN %(first_month)s AND %(last_month)s
    GROUP BY a.lsoa_code
),
geodetic AS MATERIALIZED (
    SELECT lsoa_code, weighted, longitude_sum / located AS longitude, latitude_sum / located AS latitude
    FROM lsoa WHERE located <> 0 AND %(radius)s > 0
),
{TO_GRID_CTES},
lsoa_cell AS MATERIALIZED (
    -- Cells as wide as the radius: an LSOA point within the radius is in one of the 9 around the school.
    SELECT lsoa_code, weighted, easting, northing,
           floor(easting / nullif(%(radius)s, 0))::bigint AS cx, floor(northing / nullif(%(radius)s, 0))::bigint AS cy
    FROM lsoa_point
),
school AS MATERIALIZED (
    SELECT id, urn, bcu_id, lsoa_code, easting::float8 AS easting, northing::float8 AS northing, pupil_count,
           fsm_percentage
    FROM schools_school WHERE status = ANY(%(open_statuses)s)
),
near AS MATERIALIZED (
    SELECT school.id, cell.weighted, cell.lsoa_code = school.lsoa_code AS own
    FROM school CROSS JOIN (
        VALUES (-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 0), (0, 1), (1, -1), (1, 0), (1, 1)
    ) AS next_to (dx, dy)
    JOIN lsoa_cell AS cell
      ON cell.cx = floor(school.easting / nullif(%(radius)s, 0))::bigint + next_to.dx
     AND cell.cy = floor(school.northing / nullif(%(radius)s, 0))::bigint + next_to.dy
    WHERE (cell.easting - school.easting) ^ 2 + (cell.northing - school.northing) ^ 2
          <= %(radius)s::float8 * %(radius)s
),
exposure AS MATERIALIZED (
    -- The school's own LSOA counts whether or not its point is within the radius, once.
    SELECT school.*,
           CASE WHEN near.own THEN 0 ELSE coalesce(own.weighted, 0) END + coalesce(near.weighted, 0) AS exposure,
           CASE WHEN near.own OR own.lsoa_code IS NULL THEN 0 ELSE 1 END + coalesce(near.lsoa_count, 0) AS lsoa_count
    FROM school
    LEFT JOIN lsoa AS own ON own.lsoa_code = school.lsoa_code
    LEFT JOIN (SELECT id, sum(weighted) AS weighted, count(*) AS lsoa_count, bool_or(own) AS own FROM near GROUP BY id)
        AS near USING (id)
),
coverage AS MATERIALIZED (
    SELECT posting.school_id,
           CASE WHEN bool_or(posting.role = %(primary)s) THEN %(primary)s ELSE %(secondary)s END AS level
    FROM officers_posting AS posting JOIN officers_officer AS officer ON officer.id = posting.officer_id
    WHERE posting.start_date <= %(as_of)s AND (posting.end_date IS NULL OR posting.end_date >= %(as_of)s)
      AND officer.role = %(sso)s AND officer.status <> %(left)s
    GROUP BY posting.school_id
),
advice AS MATERIALIZED (
    SELECT school_id, round(sum(adjustment)::numeric / count(*), 2) AS mean
    FROM (
        SELECT DISTINCT ON (school_id, organisation) school_id, adjustment
        FROM priorities_partneradvice
        WHERE advised_on BETWEEN %(advice_since)s AND %(as_of)s
        ORDER BY school_id, organisation, advised_on DESC, id DESC
    ) AS latest
    GROUP BY school_id
),
scaled AS MATERIALIZED (
    SELECT exposure.*,
           CASE WHEN count(*) OVER () < 2 THEN 0.0::float8
                ELSE 100.0::float8 * (rank() OVER (ORDER BY exposure) - 1) / (count(*) OVER () - 1) END AS crime_pct,
           CASE WHEN count(*) OVER () < 2 THEN 0.0::float8
                ELSE 100.0::float8 * (rank() OVER (ORDER BY coalesce(pupil_count, 0)) - 1) / (count(*) OVER () - 1)
           END AS pupils_pct,
           coalesce(advice.mean, 0) AS advice_mean, coalesce(coverage.level, %(none)s) AS level
    FROM exposure
    LEFT JOIN advice ON advice.school_id = exposure.id
    LEFT JOIN coverage ON coverage.school_id = exposure.id
),
points AS MATERIALIZED (
    SELECT scaled.*,
           round(crime_pct::text::numeric * %(crime_weight)s, 2) AS crime,
           round(coalesce(fsm_percentage, 0) * %(fsm_weight)s, 2) AS fsm,
           round(pupils_pct::text::numeric * %(pupils_weight)s, 2) AS pupils,
           round((advice_mean::float8 * %(advice_scale)s)::text::numeric * %(advice_weight)s, 2) AS advice,
           round(CASE level WHEN %(primary)s THEN %(primary_scale)s WHEN %(secondary)s THEN %(secondary_scale)s
                 ELSE %(none_scale)s END * %(coverage_weight)s, 2) AS coverage
    FROM scaled
),
ranked AS (
    SELECT points.*, crime + fsm + pupils + advice + coverage AS total,
           row_number() OVER (
               PARTITION BY bcu_id ORDER BY crime + fsm + pupils + advice + coverage DESC, length(urn), urn COLLATE "C"
           ) AS rank_in_bcu,
           count(*) OVER (PARTITION BY bcu_id) AS in_bcu
    FROM points
)
SELECT %(run_id)s, id, bcu_id, total, rank_in_bcu,
       -- Band.for_rank: the top fifth high, down to half medium (float products, as in Python).
       CASE WHEN rank_in_bcu <= ceil(in_bcu * 0.2::float8) THEN %(high)s
            WHEN rank_in_bcu <= ceil(in_bcu * 0.5::float8) THEN %(medium)s ELSE %(low)s END,
       crime, fsm, pupils, advice, coverage, exposure / 100.0, lsoa_count,
       to_char(crime_pct, 'FM990.0')::numeric, fsm_percentage, pupil_count, to_char(pupils_pct, 'FM990.0')::numeric,
       advice_mean, level
FROM ranked
"""
