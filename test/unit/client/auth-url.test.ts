import { describe, expect, it } from 'vitest'
import { takeKeyFromUrl } from '../../../client/src/auth'

describe('takeKeyFromUrl', () => {
  it('reads the key from the fragment the server prints and drops it', () => {
    expect(takeKeyFromUrl('http://h:8080/#key=rn_admin_x%2By')).toEqual({ key: 'rn_admin_x+y', rest: '/' })
    expect(takeKeyFromUrl('http://h/skus?sort=name#key=abc&tab=2')).toEqual({ key: 'abc', rest: '/skus?sort=name#tab=2' })
  })
  it('still accepts ?key= of older links and removes it from the address', () => {
    expect(takeKeyFromUrl('http://h/?key=abc&x=1')).toEqual({ key: 'abc', rest: '/?x=1' })
  })
  it('leaves an address without a key as it is', () => {
    expect(takeKeyFromUrl('http://h/skus?x=1#top')).toEqual({ key: null, rest: '/skus?x=1#top' })
  })
})
