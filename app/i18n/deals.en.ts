/** Messages for the deals area. */
export const dealsEn: Record<string, string> = {
}
