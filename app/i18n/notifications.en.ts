/** Messages for the notifications area. */
export const notificationsEn: Record<string, string> = {
}
