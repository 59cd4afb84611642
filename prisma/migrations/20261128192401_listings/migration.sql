-- CreateEnum
CREATE TYPE "ListingStatus" AS ENUM ('DRAFT', 'PENDING_REVIEW', 'PUBLISHED', 'REJECTED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "TechField" AS ENUM ('ELECTRONIC_INFORMATION', 'BIO_MEDICINE', 'AEROSPACE', 'NEW_MATERIALS', 'HIGH_TECH_SERVICES', 'NEW_ENERGY', 'RESOURCES_ENVIRONMENT', 'ADVANCED_MANUFACTURING');

-- CreateEnum
CREATE TYPE "Industry" AS ENUM ('INTELLIGENT_EQUIPMENT', 'AUTOMOTIVE', 'ELECTRONIC_INFORMATION', 'LIGHT_INDUSTRY', 'ENERGY_MATERIALS', 'MODERN_AGRICULTURE', 'BIG_DATA_SOFTWARE', 'BIO_MEDICINE');

-- CreateEnum
CREATE TYPE "Stage" AS ENUM ('CONCEPT', 'LAB', 'PILOT', 'INDUSTRIAL');

-- CreateEnum
CREATE TYPE "IpType" AS ENUM ('INVENTION_PATENT', 'UTILITY_MODEL', 'DESIGN_PATENT', 'SOFTWARE_COPYRIGHT', 'IC_LAYOUT', 'PLANT_VARIETY', 'TECH_SECRET');

-- CreateEnum
CREATE TYPE "TransferMode" AS ENUM ('TRANSFER', 'LICENSE', 'EQUITY', 'CO_DEVELOPMENT', 'TECH_SERVICE');

-- CreateTable
CREATE TABLE "Achievement" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "createdById" TEXT,
    "title" VARCHAR(200) NOT NULL,
    "summary" TEXT NOT NULL,
    "field" "TechField" NOT NULL,
    "industry" "Industry" NOT NULL,
    "keywords" TEXT[],
    "trl" INTEGER NOT NULL,
    "stage" "Stage" NOT NULL,
    "ipType" "IpType",
    "ipNumbers" TEXT[],
    "ipStatus" VARCHAR(100),
    "transferModes" "TransferMode"[],
    "askingPriceFen" BIGINT,
    "confidentialDetails" TEXT,
    "contactName" VARCHAR(100),
    "contactPhone" VARCHAR(30),
    "contactEmail" VARCHAR(254),
    "status" "ListingStatus" NOT NULL DEFAULT 'DRAFT',
    "rejectReason" VARCHAR(1000),
    "publishedAt" TIMESTAMP(3),
    "refreshedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "staleAt" TIMESTAMP(3),
    "source" VARCHAR(64),
    "externalId" VARCHAR(128),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Achievement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Demand" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "createdById" TEXT,
    "title" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "currentSituation" TEXT,
    "targetIndicators" TEXT,
    "constraints" TEXT,
    "field" "TechField" NOT NULL,
    "industry" "Industry" NOT NULL,
    "keywords" TEXT[],
    "trlMin" INTEGER,
    "budgetFen" BIGINT,
    "deadline" DATE,
    "cooperationModes" "TransferMode"[],
    "confidential" BOOLEAN NOT NULL DEFAULT false,
    "contactName" VARCHAR(100),
    "contactPhone" VARCHAR(30),
    "contactEmail" VARCHAR(254),
    "status" "ListingStatus" NOT NULL DEFAULT 'DRAFT',
    "rejectReason" VARCHAR(1000),
    "publishedAt" TIMESTAMP(3),
    "refreshedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "staleAt" TIMESTAMP(3),
    "source" VARCHAR(64),
    "externalId" VARCHAR(128),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Demand_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScenarioBatch" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "number" VARCHAR(50) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "publishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScenarioBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Scenario" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "batchId" TEXT,
    "createdById" TEXT,
    "title" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "sector" "Industry" NOT NULL,
    "field" "TechField",
    "capability" TEXT,
    "keywords" TEXT[],
    "budgetFen" BIGINT,
    "deadline" DATE,
    "ownerDepartment" VARCHAR(200),
    "contactName" VARCHAR(100),
    "contactPhone" VARCHAR(30),
    "contactEmail" VARCHAR(254),
    "status" "ListingStatus" NOT NULL DEFAULT 'DRAFT',
    "rejectReason" VARCHAR(1000),
    "publishedAt" TIMESTAMP(3),
    "refreshedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "staleAt" TIMESTAMP(3),
    "source" VARCHAR(64),
    "externalId" VARCHAR(128),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Scenario_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "keyHash" CHAR(64) NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Achievement_status_publishedAt_idx" ON "Achievement"("status", "publishedAt");

-- CreateIndex
CREATE INDEX "Achievement_orgId_status_idx" ON "Achievement"("orgId", "status");

-- CreateIndex
CREATE INDEX "Achievement_field_idx" ON "Achievement"("field");

-- CreateIndex
CREATE INDEX "Achievement_industry_idx" ON "Achievement"("industry");

-- CreateIndex
CREATE UNIQUE INDEX "Achievement_source_externalId_key" ON "Achievement"("source", "externalId");

-- CreateIndex
CREATE INDEX "Demand_status_publishedAt_idx" ON "Demand"("status", "publishedAt");

-- CreateIndex
CREATE INDEX "Demand_orgId_status_idx" ON "Demand"("orgId", "status");

-- CreateIndex
CREATE INDEX "Demand_field_idx" ON "Demand"("field");

-- CreateIndex
CREATE INDEX "Demand_industry_idx" ON "Demand"("industry");

-- CreateIndex
CREATE UNIQUE INDEX "Demand_source_externalId_key" ON "Demand"("source", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "ScenarioBatch_orgId_number_key" ON "ScenarioBatch"("orgId", "number");

-- CreateIndex
CREATE INDEX "Scenario_status_publishedAt_idx" ON "Scenario"("status", "publishedAt");

-- CreateIndex
CREATE INDEX "Scenario_batchId_idx" ON "Scenario"("batchId");

-- CreateIndex
CREATE INDEX "Scenario_sector_idx" ON "Scenario"("sector");

-- CreateIndex
CREATE UNIQUE INDEX "Scenario_source_externalId_key" ON "Scenario"("source", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_keyHash_key" ON "ApiKey"("keyHash");

-- CreateIndex
CREATE INDEX "ApiKey_orgId_idx" ON "ApiKey"("orgId");

-- AddForeignKey
ALTER TABLE "Achievement" ADD CONSTRAINT "Achievement_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Demand" ADD CONSTRAINT "Demand_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioBatch" ADD CONSTRAINT "ScenarioBatch_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Scenario" ADD CONSTRAINT "Scenario_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Scenario" ADD CONSTRAINT "Scenario_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "ScenarioBatch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
