/** The 64-hex token data of the demo seed's full-access token (user 12345.KOPPEL, App Connector Koppel). */
export const DEMO_TOKEN = 'cbf5071c07a22081e969fb9dddae0789b5f67b65674c465c8134e9f12fdb3e77';

/** The demo seed's first environment id. */
export const DEMO_ENVIRONMENT = '12345';
