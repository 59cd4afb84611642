/** Messages for the brokers area. */
export const brokersEn: Record<string, string> = {
}
