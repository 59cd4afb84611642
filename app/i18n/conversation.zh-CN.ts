/** Messages for the conversation area. */
export const conversationZhCN: Record<string, string> = {
}
