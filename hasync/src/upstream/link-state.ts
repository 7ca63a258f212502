/** How HAsync's link to Home Assistant is doing, as reported by health and status. */
export type HomeAssistantState = 'connected' | 'connecting' | 'disconnected' | 'demo';

export interface LinkStatus {
  readonly state: HomeAssistantState;
  /** Home Assistant's version once connected. */
  readonly haVersion: string | undefined;
  /** The last upstream error, e.g. a rejected token. */
  readonly lastError: string | undefined;
}

/** What the health and status endpoints need to know about the link. */
export interface LinkStatusSource {
  status(): LinkStatus;
}

/** Used until an upstream link exists, and when none can be made. */
export const disconnectedLink: LinkStatusSource = {
  status: () => ({ state: 'disconnected', haVersion: undefined, lastError: undefined }),
};
