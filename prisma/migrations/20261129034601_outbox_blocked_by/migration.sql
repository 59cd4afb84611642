-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN     "blockedBy" VARCHAR(40);
