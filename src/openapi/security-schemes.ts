/** The OpenAPI security schemes' names: a user's access token and the admin key. */
export const BEARER_SCHEME = 'bearer';
export const ADMIN_KEY_SCHEME = 'admin-key';
