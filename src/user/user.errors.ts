// Every user has a balance row from the moment it is created, so the balance module, below this
// one, is the first to notice a missing user: the error is declared there and is this module's too.
export { UserNotFoundError } from '../balance/balance.errors';
