import { DiscountType, NewCoupon } from '../coupon/coupon.types';

/** Demo data: a believable small shop. Prices in won. */
export const DEMO_PRODUCTS: ReadonlyArray<{ name: string; price: number; stock: number }> = [
  { name: 'Wireless earbuds', price: 89_000, stock: 120 },
  { name: 'Noise-cancelling headphones', price: 329_000, stock: 40 },
  { name: 'Mechanical keyboard', price: 129_000, stock: 75 },
  { name: 'Ergonomic mouse', price: 59_000, stock: 150 },
  { name: '27-inch 4K monitor', price: 459_000, stock: 25 },
  { name: 'USB-C hub', price: 45_000, stock: 200 },
  { name: 'Laptop stand', price: 39_000, stock: 180 },
  { name: 'Webcam 1080p', price: 79_000, stock: 90 },
  { name: 'Portable SSD 1TB', price: 149_000, stock: 60 },
  { name: 'Smartwatch', price: 279_000, stock: 35 },
  { name: 'Fitness band', price: 49_000, stock: 140 },
  { name: 'Bluetooth speaker', price: 99_000, stock: 85 },
  { name: 'Power bank 20000mAh', price: 42_000, stock: 220 },
  { name: 'Phone case', price: 19_000, stock: 500 },
  { name: 'Screen protector', price: 12_000, stock: 600 },
  { name: 'Wireless charger', price: 35_000, stock: 250 },
  { name: 'Desk lamp', price: 55_000, stock: 70 },
  { name: 'Office chair', price: 389_000, stock: 15 },
  { name: 'Standing desk', price: 649_000, stock: 10 },
  { name: 'Coffee grinder', price: 119_000, stock: 45 },
  { name: 'Drip coffee kettle', price: 69_000, stock: 55 },
  { name: 'Espresso beans 1kg', price: 32_000, stock: 300 },
  { name: 'Green tea set', price: 28_000, stock: 160 },
  { name: 'Stainless tumbler', price: 25_000, stock: 400 },
  { name: 'Backpack 25L', price: 89_000, stock: 95 },
  { name: 'Running shoes', price: 139_000, stock: 80 },
  { name: 'Yoga mat', price: 35_000, stock: 130 },
  { name: 'Dumbbell set 10kg', price: 79_000, stock: 40 },
  { name: 'Cotton T-shirt', price: 19_900, stock: 700 },
  { name: 'Denim jacket', price: 99_000, stock: 60 },
  { name: 'Rain umbrella', price: 22_000, stock: 260 },
  { name: 'Notebook A5 (3 pack)', price: 9_900, stock: 900 },
  { name: 'Fountain pen', price: 48_000, stock: 75 },
  { name: 'Board game: Catan', price: 54_000, stock: 50 },
  { name: 'LEGO Classic box', price: 69_000, stock: 65 },
  { name: 'Air purifier', price: 259_000, stock: 30 },
  { name: 'Robot vacuum', price: 499_000, stock: 20 },
  { name: 'Electric toothbrush', price: 89_000, stock: 110 },
  { name: 'Hair dryer', price: 129_000, stock: 55 },
  { name: 'Limited sneaker drop', price: 219_000, stock: 5 },
];

export const DEMO_USERS: ReadonlyArray<{ name: string; balance: number }> = [
  { name: 'kim', balance: 500_000 },
  { name: 'lee', balance: 1_000_000 },
  { name: 'park', balance: 80_000 },
  { name: 'choi', balance: 0 },
  { name: 'jung', balance: 750_000 },
];

export const DEMO_COUPONS: ReadonlyArray<NewCoupon> = [
  { name: 'Welcome 5,000 won off', discountType: DiscountType.FIXED, discountValue: 5_000, totalQuantity: 100, validDays: 30 },
  { name: 'Flash sale 10% off', discountType: DiscountType.PERCENT, discountValue: 10, totalQuantity: 30, validDays: 7 },
];
