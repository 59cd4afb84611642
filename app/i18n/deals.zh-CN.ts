/** Messages for the deals area. */
export const dealsZhCN: Record<string, string> = {
}
