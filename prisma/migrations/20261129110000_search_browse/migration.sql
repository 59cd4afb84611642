-- How many search documents of each kind have each facet value (facet 'kind': all of them),
-- kept by the statements that write the documents (app/infra/search/embedded.server.ts). The
-- search page before anything is typed reads its tabs and facet counts here, instead of every
-- document's facet code.
CREATE TABLE "SearchFacetStat" (
    "kind" VARCHAR(16) NOT NULL,
    "facet" VARCHAR(16) NOT NULL,
    "value" VARCHAR(40) NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "SearchFacetStat_pkey" PRIMARY KEY ("kind","facet","value")
);

-- The documents already indexed.
INSERT INTO "SearchFacetStat" (kind, facet, value, n)
SELECT kind, f.facet, f.value, count(*)::int
FROM "SearchDocument",
  LATERAL (VALUES ('kind', kind), ('field', field::text), ('industry', industry::text), ('trl', trl::text), ('stage', stage::text),
    ('priceBucket', "priceBucket"), ('province', province::text)) f(facet, value)
WHERE f.value IS NOT NULL
GROUP BY kind, f.facet, f.value;

INSERT INTO "SearchFacetStat" (kind, facet, value, n)
SELECT kind, 'modes', mode::text, count(*)::int FROM "SearchDocument", unnest(modes) AS mode GROUP BY kind, mode;

-- The same page sorted without words reads the first rows of an index instead of sorting every
-- document: newest first (what relevance means without words), and by price either way with the
-- listings without a price last. A kind's newest use "SearchDocument_kind_publishedAt_idx".
CREATE INDEX "SearchDocument_publishedAt_id_idx" ON "SearchDocument"("publishedAt" DESC, "id");
CREATE INDEX "SearchDocument_priceFen_id_idx" ON "SearchDocument"("priceFen", "id");
CREATE INDEX "SearchDocument_priceFen_desc_id_idx" ON "SearchDocument"("priceFen" DESC NULLS LAST, "id");
