// The storefront: reads /demo.json (the API's URL, the demo users and their tokens, the coupons),
// then walks the API as a shopper would. Plain DOM, no framework.
import { createApi } from './api.js';

const $ = (selector) => document.querySelector(selector);
const won = (amount) => `${amount.toLocaleString('en-US')} won`;

const state = { demo: undefined, api: undefined, user: undefined, cursors: [null], page: 0, cart: new Map() };

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function say(text, kind = 'ok') {
  const message = $('#message');
  message.textContent = text;
  message.className = kind;
  delete message.dataset.code;
}

/** Errors are shown by their contract code, which a client acts on; the message is for people. */
function showError(error) {
  say(`${error.code}: ${error.message}`, 'error');
  $('#message').dataset.code = error.code;
}

/** Runs a click's work, then shows its outcome or its error. */
function action(work) {
  return async (event) => {
    event?.preventDefault();
    try {
      const done = await work();
      if (typeof done === 'string') say(done);
    } catch (error) {
      showError(error);
    }
  };
}

async function showProducts() {
  const page = await state.api.listProducts(state.cursors[state.page]);
  state.cursors[state.page + 1] = page.nextCursor;
  $('#next-page').disabled = page.nextCursor === null;
  $('#first-page').disabled = state.page === 0;
  $('[data-testid=products]').replaceChildren(
    ...page.items.map((product) =>
      element(
        'tr',
        { 'data-product-id': product.id },
        element('td', {}, product.name),
        element('td', { class: 'money' }, won(product.price)),
        element('td', { class: 'money' }, String(product.stock)),
        element('td', {}, element('button', { type: 'button', disabled: state.user ? undefined : 'disabled', onclick: () => addToCart(product), 'data-testid': `add-${product.id}` }, 'Add to cart')),
      ),
    ),
  );
}

async function showCoupons() {
  const held = state.user ? (await state.api.myCoupons(state.user.id)).items : [];
  const coupons = await Promise.all(state.demo.coupons.map((id) => state.api.getCoupon(id)));
  $('[data-testid=coupon-list]').replaceChildren(
    ...coupons.map((coupon) => {
      const mine = held.find((c) => c.couponId === coupon.id);
      const off = coupon.discountType === 'FIXED' ? won(coupon.discountValue) : `${coupon.discountValue}%`;
      return element(
        'li',
        {},
        `${coupon.name}: ${off} off, ${coupon.remainingQuantity} left `,
        mine
          ? element('em', { 'data-testid': `coupon-held-${coupon.id}` }, `(yours: ${mine.status})`)
          : element('button', { type: 'button', disabled: state.user ? undefined : 'disabled', 'data-testid': `grab-${coupon.id}`, onclick: action(() => grabCoupon(coupon.id)) }, 'Grab it'),
      );
    }),
  );
  $('#cart-coupon').replaceChildren(
    element('option', { value: '' }, 'none'),
    ...held.filter((c) => c.status === 'AVAILABLE').map((c) => element('option', { value: c.couponId }, c.name)),
  );
}

async function showBalance() {
  const { balance } = await state.api.getBalance(state.user.id);
  $('[data-testid=balance]').textContent = won(balance);
}

function showCart() {
  $('#cart').hidden = state.cart.size === 0;
  $('[data-testid=cart-lines]').replaceChildren(
    ...[...state.cart.values()].map(({ product, quantity }) =>
      element('li', {}, `${product.name} × ${quantity} `, element('button', { type: 'button', onclick: () => removeFromCart(product.id) }, 'remove')),
    ),
  );
}

async function showOrders() {
  const { items } = await state.api.myOrders(state.user.id);
  $('#orders').hidden = false;
  $('[data-testid=orders]').replaceChildren(
    ...items.map((order) =>
      element(
        'tr',
        { 'data-order-id': order.orderId },
        element('td', {}, `#${order.orderId}`),
        element('td', { 'data-testid': `status-${order.orderId}` }, order.status),
        element('td', { class: 'money' }, won(order.totalAmount)),
        element('td', { class: 'money' }, won(order.discountAmount)),
        element('td', { class: 'money' }, won(order.payAmount)),
        element(
          'td',
          {},
          ...(order.status === 'PENDING_PAYMENT' ? [element('button', { type: 'button', 'data-testid': `pay-${order.orderId}`, onclick: action(() => pay(order)) }, 'Pay')] : []),
          ...(['PENDING_PAYMENT', 'PAID'].includes(order.status)
            ? [element('button', { type: 'button', 'data-testid': `cancel-${order.orderId}`, onclick: action(() => cancel(order)) }, order.status === 'PAID' ? 'Cancel and refund' : 'Cancel')]
            : []),
        ),
      ),
    ),
  );
}

async function showTop() {
  const { items } = await state.api.topProducts();
  $('[data-testid=top-products]').replaceChildren(
    ...(items.length ? items.map((item) => element('li', {}, `${item.name}: ${item.soldQuantity} sold`)) : [element('li', {}, 'nothing paid in the last 3 days')]),
  );
}

function addToCart(product) {
  const line = state.cart.get(product.id) ?? { product, quantity: 0 };
  state.cart.set(product.id, { product, quantity: line.quantity + 1 });
  showCart();
}

function removeFromCart(productId) {
  state.cart.delete(productId);
  showCart();
}

async function signIn() {
  const id = Number($('[data-testid=user-select]').value);
  state.user = state.demo.users.find((user) => user.id === id);
  state.api.signIn(state.user.token);
  state.cart.clear();
  $('#account').hidden = false;
  showCart();
  await Promise.all([showBalance(), showCoupons(), showOrders(), showProducts()]);
  return `signed in as ${state.user.name} (user ${state.user.id})`;
}

async function charge() {
  const amount = Number(new FormData($('#charge')).get('amount'));
  const { balance } = await state.api.charge(state.user.id, amount);
  $('[data-testid=balance]').textContent = won(balance);
  return `charged ${won(amount)}`;
}

async function grabCoupon(couponId) {
  const coupon = await state.api.issueCoupon(couponId, state.user.id);
  await showCoupons();
  return `coupon "${coupon.name}" is yours until ${new Date(coupon.expiresAt).toLocaleDateString()}`;
}

async function placeOrder() {
  const items = [...state.cart.values()].map(({ product, quantity }) => ({ productId: product.id, quantity }));
  const couponId = $('#cart-coupon').value ? Number($('#cart-coupon').value) : null;
  const order = await state.api.placeOrder(state.user.id, items, couponId);
  state.cart.clear();
  showCart();
  await Promise.all([showOrders(), showProducts(), showCoupons()]);
  return `order #${order.orderId} placed: ${won(order.payAmount)} to pay (${won(order.discountAmount)} off)`;
}

async function pay(order) {
  const payment = await state.api.pay(order.orderId, state.user.id);
  await Promise.all([showOrders(), showBalance(), showCoupons(), showTop()]);
  return `order #${order.orderId} paid: ${won(payment.amount)}`;
}

async function cancel(order) {
  const canceled = await state.api.cancel(order.orderId, state.user.id);
  await Promise.all([showOrders(), showBalance(), showCoupons(), showProducts(), showTop()]);
  return canceled.status === 'REFUNDED' ? `order #${order.orderId} refunded: ${won(canceled.payAmount)} back` : `order #${order.orderId} canceled`;
}

async function start() {
  state.demo = await (await fetch('demo.json')).json();
  state.api = createApi(state.demo.apiUrl);
  $('[data-testid=api-url]').textContent = state.demo.apiUrl;
  $('[data-testid=user-select]').replaceChildren(...state.demo.users.map((user) => element('option', { value: user.id }, `${user.name} (user ${user.id})`)));
  $('#sign-in').addEventListener('submit', action(signIn));
  $('#charge').addEventListener('submit', action(charge));
  $('#place-order').addEventListener('click', action(placeOrder));
  $('#next-page').addEventListener('click', action(() => (state.page++, showProducts())));
  $('#first-page').addEventListener('click', action(() => ((state.page = 0), showProducts())));
  await Promise.all([showProducts(), showCoupons(), showTop()]);
  document.body.dataset.ready = 'true';
}

start().catch(showError);
