import type { PermissionTable } from '../../kernel/authz/index.js';
import type { Messages } from '../../kernel/http/i18n.js';

// Who may do what with fees, bills and payments. 'scope' = records under the grant's place.
// Residents act on their own bills (the houses they live in, or charges made out to them); the
// service checks that, the 'self' reach only opens the route.
export const billingPermissions: PermissionTable = {
  property_manager: [
    ['read', 'FeeItem'],
    ['manage', 'FeeItem'],
    ['read', 'MeterReading'],
    ['create', 'MeterReading'],
    ['review', 'MeterReading'],
    ['read', 'BillingRun'],
    ['create', 'BillingRun'],
    ['approve', 'BillingRun'],
    ['publish', 'BillingRun'],
    ['read', 'Bill'],
    ['adjust', 'Bill'],
    ['charge', 'Bill'],
    ['read', 'Payment'],
    ['record', 'Payment'],
    ['refund', 'Payment'],
    ['reconcile', 'Payment'],
    ['read', 'Arrears'],
    ['export', 'Arrears'],
  ],
  community_staff: [
    ['read', 'FeeItem'],
    ['read', 'Bill'],
    ['read', 'Payment'],
    ['read', 'Arrears'],
  ],
  gov_supervisor: [['read', 'Arrears']],
  resident: [
    ['read', 'Bill', 'self'],
    ['pay', 'Bill', 'self'],
    ['read', 'Payment', 'self'],
  ],
};

/** The billing catalog: problem titles, reading flags, reminders (zh-CN, en). */
export const billingMessages: Messages = {
  'billing.not_found': { zh: '找不到该记录', en: 'No such record' },
  'billing.bill_not_found': { zh: '找不到该账单', en: 'No such bill' },
  'billing.payment_not_found': { zh: '找不到该支付', en: 'No such payment' },
  'billing.fee_item_code_taken': { zh: '该收费项目编码已存在', en: 'A fee item with this code already exists' },
  'billing.bad_tiers': { zh: '阶梯价格设置无效：上限须递增，最后一档不设上限', en: 'Invalid tiers: limits must increase and the last tier has no limit' },
  'billing.not_one_off': { zh: '只能用一次性收费或押金项目单独收费', en: 'Only a one-off or deposit item can be charged on its own' },
  'billing.not_a_meter_item': { zh: '该收费项目不按表计费', en: 'This fee item is not billed by meter' },
  'billing.house_unknown': { zh: '该房屋不在此社区', en: 'No such house in this community' },
  'billing.community_unknown': { zh: '找不到该社区', en: 'No such community' },
  'billing.run_state': { zh: '账期批次当前状态（{status}）不能执行此操作', en: 'The billing run is {status}; this step is not possible' },
  'billing.reading_state': { zh: '该读数已处理', en: 'This reading has already been reviewed' },
  'billing.nothing_to_pay': { zh: '所选账单无需支付', en: 'Nothing to pay on the chosen bills' },
  'billing.bill_not_open': { zh: '账单未发布或已结清', en: 'The bill is not open' },
  'billing.amount_mismatch': { zh: '金额与账单待缴金额（{expected}）不符', en: 'The amount does not match what the bills ask ({expected})' },
  'billing.refund_too_much': { zh: '退款金额超过可退金额（{max}）', en: 'The refund exceeds what can be refunded ({max})' },
  'billing.payment_not_paid': { zh: '该支付尚未到账', en: 'This payment has not been received' },
  'billing.gateway_error': { zh: '支付网关暂时无法处理：{message}', en: 'The payment gateway could not do this: {message}' },
  'billing.adjust_too_much': { zh: '减免金额超过账单待缴金额', en: 'The credit exceeds what the bill still asks' },
  'billing.bad_period': { zh: '账期格式应为 YYYY-MM', en: 'A period is written YYYY-MM' },
  'billing.bad_file': { zh: '文件无法读取：{message}', en: 'The file cannot be read: {message}' },
  'billing.unbalanced': { zh: '记账分录借贷不平衡', en: 'The ledger transaction does not balance' },
  'billing.charge_conflict': { zh: '同一来源单号已生成不同金额的账单', en: 'A charge with this source reference exists with another amount' },
  'billing.flag.lower_than_previous': { zh: '读数小于上期读数', en: 'reading lower than the previous one' },
  'billing.flag.implausible_jump': { zh: '用量异常偏高', en: 'implausibly large use' },
  'billing.xlsx.sheet': { zh: '欠费', en: 'Arrears' },
  'billing.xlsx.house': { zh: '房屋', en: 'House' },
  'billing.xlsx.bills': { zh: '账单数', en: 'Bills' },
  'billing.xlsx.owed': { zh: '欠费（元）', en: 'Owed (yuan)' },
  'billing.xlsx.b0_30': { zh: '0–30天', en: '0–30 days' },
  'billing.xlsx.b31_90': { zh: '31–90天', en: '31–90 days' },
  'billing.xlsx.b91_180': { zh: '91–180天', en: '91–180 days' },
  'billing.xlsx.b180': { zh: '180天以上', en: 'Over 180 days' },
  'billing.xlsx.oldest': { zh: '最早到期日', en: 'Oldest due date' },
  'billing.xlsx.total': { zh: '合计', en: 'Total' },
  'billing.remind.title': { zh: '缴费提醒：{subject}', en: 'Payment reminder: {subject}' },
  'billing.remind.body': {
    zh: '账单 {number} 待缴 {amount} 元，已过缴费期限。逾期不影响任何服务，请方便时缴纳。',
    en: 'Bill {number}: {amount} yuan is due. Nothing is cut off; please pay when you can.',
  },
};
