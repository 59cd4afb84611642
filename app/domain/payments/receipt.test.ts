import { describe, expect, it } from 'vitest'
import { cleanFileName, sniffReceipt } from './receipt'
import { FILES } from './test-support'

describe('receipt files', () => {
  it('recognises PNG, JPEG, WebP and PDF by their first bytes', () => {
    expect(sniffReceipt(FILES.png)?.mime).toBe('image/png')
    expect(sniffReceipt(FILES.jpeg)?.ext).toBe('jpg')
    expect(sniffReceipt(FILES.webp)?.mime).toBe('image/webp')
    expect(sniffReceipt(FILES.pdf)?.ext).toBe('pdf')
  })

  it('refuses anything else, whatever it is called: an .exe, a text file, a GIF, an empty file', () => {
    expect(sniffReceipt(FILES.exe)).toBeNull()
    expect(sniffReceipt(new TextEncoder().encode('hello.pdf'))).toBeNull()
    expect(sniffReceipt(new TextEncoder().encode('GIF89a'))).toBeNull()
    expect(sniffReceipt(new Uint8Array())).toBeNull()
    // RIFF without WEBP (a WAV file).
    expect(sniffReceipt(Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]))).toBeNull()
  })

  it('keeps only the base name of an uploaded file, without control characters', () => {
    expect(cleanFileName('C:\\Users\\me\\回单.pdf')).toBe('回单.pdf')
    expect(cleanFileName('../../etc/passwd')).toBe('passwd')
    expect(cleanFileName('a\u0000b.png')).toBe('ab.png')
    expect(cleanFileName('')).toBe('receipt')
  })
})
