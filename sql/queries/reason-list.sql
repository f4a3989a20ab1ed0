-- The return reasons in the order of sku_months.reason_units (migration 0080): the API's
-- RETURN_REASONS (server/contracts/enums.ts). A unit test holds the three lists equal.
    ['size_too_small', 'size_too_large', 'defective', 'damaged_in_transit', 'wrong_item', 'not_as_described', 'changed_mind', 'late_delivery', 'better_price', 'other'] AS reason_list
