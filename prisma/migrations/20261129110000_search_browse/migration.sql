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

-- A search with no words but a filter (a facet value clicked) reads every document the filter
-- keeps. The documents' rows are wide (text and terms: 160 MB for 100,000 listings), and a scan
-- of a table larger than a quarter of the buffer pool reads it through a small ring of buffers,
-- from the files again each time. This narrow copy of the columns such a search filters, sorts
-- and counts on takes 9 MB; the statements that write the documents write it, and it goes with
-- its document.
CREATE TABLE "SearchDocumentFacets" (
    "id" VARCHAR(80) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "field" "TechField",
    "industry" "Industry",
    "trl" INTEGER,
    "stage" "Stage",
    "modes" "TransferMode"[],
    "province" CHAR(2) NOT NULL,
    "priceBucket" VARCHAR(16) NOT NULL,
    "priceFen" BIGINT,
    "publishedAt" TIMESTAMP(3) NOT NULL,
    "facetCode" BIGINT,

    CONSTRAINT "SearchDocumentFacets_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "SearchDocumentFacets" ADD CONSTRAINT "SearchDocumentFacets_id_fkey" FOREIGN KEY ("id") REFERENCES "SearchDocument"("id") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO "SearchDocumentFacets" (id, kind, field, industry, trl, stage, modes, province, "priceBucket", "priceFen", "publishedAt", "facetCode")
SELECT id, kind, field, industry, trl, stage, modes, province, "priceBucket", "priceFen", "publishedAt", "facetCode" FROM "SearchDocument";
