/** Messages for the conversation area. */
export const conversationEn: Record<string, string> = {
}
