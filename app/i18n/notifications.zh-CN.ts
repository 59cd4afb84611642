/** Messages for the notifications area. */
export const notificationsZhCN: Record<string, string> = {
}
