/** Messages for the brokers area. */
export const brokersZhCN: Record<string, string> = {
}
