import { Fragment } from 'react'

/** nameParts splits a name after each separator (- _ . / \ ( ) [ ] + and spaces), keeping every character. */
export function nameParts(name: string): string[] {
  return name.split(/(?<=[-_./\\()[\]+ ])/).filter((p) => p !== '')
}

/**
 * FileName shows a file (or folder) name that may wrap after its
 * separators: "IMG_2026_0315.jpg" breaks at "_" or ".", not mid-word.
 * A part longer than its column still wraps (wrap-anywhere) rather than
 * pushing the table out of its card.
 */
export function FileName({ name, className }: { name: string; className?: string }) {
  return (
    <span className={className ?? 'wrap-anywhere'}>
      {nameParts(name).map((p, i) => (
        <Fragment key={i}>
          {i > 0 ? <wbr /> : null}
          {p}
        </Fragment>
      ))}
    </span>
  )
}
