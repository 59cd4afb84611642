// PLACEHOLDER: being built; answers 404 until then.
export function loader() {
  throw new Response('Not Found', { status: 404 })
}
export default function Placeholder() {
  return null
}
