-- CreateTable
CREATE TABLE "SearchDocument" (
    "id" VARCHAR(80) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "listingId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "orgName" VARCHAR(200) NOT NULL,
    "regionCode" CHAR(6) NOT NULL,
    "province" CHAR(2) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "body" TEXT NOT NULL,
    "keywords" TEXT[],
    "terms" tsvector NOT NULL,
    "field" "TechField",
    "industry" "Industry",
    "trl" INTEGER,
    "stage" "Stage",
    "modes" "TransferMode"[],
    "priceFen" BIGINT,
    "priceBucket" VARCHAR(16) NOT NULL,
    "deadline" DATE,
    "publishedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SearchDocument_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SearchDocument_terms_idx" ON "SearchDocument" USING GIN ("terms");

-- CreateIndex
CREATE INDEX "SearchDocument_kind_publishedAt_idx" ON "SearchDocument"("kind", "publishedAt");

-- CreateIndex
CREATE INDEX "SearchDocument_kind_field_idx" ON "SearchDocument"("kind", "field");

-- CreateIndex
CREATE INDEX "SearchDocument_kind_industry_idx" ON "SearchDocument"("kind", "industry");

-- CreateIndex
CREATE UNIQUE INDEX "SearchDocument_kind_listingId_key" ON "SearchDocument"("kind", "listingId");
