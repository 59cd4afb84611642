-- A search reads every document it matches: each one's terms, to rank it, and each one's facet
-- values, to count them. Two changes make that read cheaper.

-- 1. Terms stay inline and uncompressed (MAIN) unless the row is still too large once the body
--    has been compressed; stored the default way (EXTENDED), a row over 2 kB had its terms
--    compressed or moved out of line first, and every search decompressed them one by one.
ALTER TABLE "SearchDocument" ALTER COLUMN "terms" SET STORAGE MAIN;

-- 2. All of a document's facet values packed in one number, so that a search collects one
--    column per match and counts the facets from it (decodeFacetCode in
--    app/infra/search/embedded.server.ts reads it; the order of each list is the schema's).
--    Digits, lowest first: kind (radix 4), field (16), industry (16), TRL (16), stage (8),
--    price bucket (8), transfer modes (32, one bit each), province (100); 0 means none.
ALTER TABLE "SearchDocument" ADD COLUMN "facetCode" BIGINT GENERATED ALWAYS AS (
  (CASE "kind" WHEN 'achievement' THEN 1 WHEN 'demand' THEN 2 WHEN 'scenario' THEN 3 ELSE 0 END)
  + 4 * (CASE "field" WHEN 'ELECTRONIC_INFORMATION' THEN 1 WHEN 'BIO_MEDICINE' THEN 2 WHEN 'AEROSPACE' THEN 3 WHEN 'NEW_MATERIALS' THEN 4
      WHEN 'HIGH_TECH_SERVICES' THEN 5 WHEN 'NEW_ENERGY' THEN 6 WHEN 'RESOURCES_ENVIRONMENT' THEN 7 WHEN 'ADVANCED_MANUFACTURING' THEN 8 ELSE 0 END)
  + 64 * (CASE "industry" WHEN 'INTELLIGENT_EQUIPMENT' THEN 1 WHEN 'AUTOMOTIVE' THEN 2 WHEN 'ELECTRONIC_INFORMATION' THEN 3 WHEN 'LIGHT_INDUSTRY' THEN 4
      WHEN 'ENERGY_MATERIALS' THEN 5 WHEN 'MODERN_AGRICULTURE' THEN 6 WHEN 'BIG_DATA_SOFTWARE' THEN 7 WHEN 'BIO_MEDICINE' THEN 8 ELSE 0 END)
  + 1024 * (CASE WHEN "trl" BETWEEN 1 AND 15 THEN "trl" ELSE 0 END)
  + 16384 * (CASE "stage" WHEN 'CONCEPT' THEN 1 WHEN 'LAB' THEN 2 WHEN 'PILOT' THEN 3 WHEN 'INDUSTRIAL' THEN 4 ELSE 0 END)
  + 131072 * (CASE "priceBucket" WHEN 'negotiable' THEN 1 WHEN 'lt100k' THEN 2 WHEN '100k-500k' THEN 3 WHEN '500k-1m' THEN 4
      WHEN '1m-5m' THEN 5 WHEN 'gte5m' THEN 6 ELSE 0 END)
  + 1048576 * ((CASE WHEN 'TRANSFER' = ANY("modes") THEN 1 ELSE 0 END) + (CASE WHEN 'LICENSE' = ANY("modes") THEN 2 ELSE 0 END)
      + (CASE WHEN 'EQUITY' = ANY("modes") THEN 4 ELSE 0 END) + (CASE WHEN 'CO_DEVELOPMENT' = ANY("modes") THEN 8 ELSE 0 END)
      + (CASE WHEN 'TECH_SERVICE' = ANY("modes") THEN 16 ELSE 0 END))
  + 33554432::bigint * (CASE WHEN "province" ~ '^[0-9]{2}$' THEN "province"::int ELSE 0 END)
) STORED;

-- Rows written before keep their terms as they were stored until rewritten: rewrite them now.
UPDATE "SearchDocument" SET "terms" = "terms"::text::tsvector;
