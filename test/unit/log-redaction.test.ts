import { describe, expect, it } from 'vitest'
import { redactUrl } from '../../server/http/log-redaction.js'

describe('redactUrl', () => {
  it.each([
    ['/?key=rn_admin_abc', '/?key=[redacted]'],
    ['/api/v1/skus?sort=name&key=s3cret&limit=5', '/api/v1/skus?sort=name&key=[redacted]&limit=5'],
    ['/?KEY=s3cret', '/?KEY=[redacted]'],
    ['/?%6Bey=s3cret', '/?%6Bey=[redacted]'],
    ['/?key=a&key=b', '/?key=[redacted]&key=[redacted]'],
    ['/?key', '/?key=[redacted]'],
    ['/?monkey=ok&keys=ok', '/?monkey=ok&keys=ok'],
    ['/plain/path', '/plain/path'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected)
  })
})
