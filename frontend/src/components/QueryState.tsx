import type { CombinedError } from '@urql/core'
import type { ReactNode } from 'react'
import { errorText } from '../lib/errors'
import { ErrorBox, Loading } from './feedback'

/** The part of a urql result that QueryState reads. */
export interface QueryResultLike<D> {
  data?: D | null
  fetching: boolean
  error?: CombinedError
}

/**
 * QueryState renders the states of a query in one place: the error (with a
 * retry), the spinner while nothing has arrived yet, the `empty` view when
 * `isEmpty` says the data holds nothing, and otherwise `children(data)`.
 *
 * `staleError` says what an error does once data has arrived: `replace`
 * (default) shows only the error; `above` shows it above the data;
 * `children` leaves it to the children, which render the data as usual.
 */
export function QueryState<D>({
  result,
  loading,
  errorTitle,
  onRetry,
  errorClassName,
  staleError = 'replace',
  isEmpty,
  empty,
  children,
}: {
  result: QueryResultLike<D>
  /** loading labels the spinner ("Loading webhooks…"). */
  loading?: string
  /** errorTitle heads the error box; a function picks it from the error. */
  errorTitle: string | ((error: CombinedError) => string)
  onRetry?: () => void
  /** errorClassName wraps the error box in a div with these classes. */
  errorClassName?: string
  staleError?: 'replace' | 'above' | 'children'
  isEmpty?: (data: D) => boolean
  empty?: ReactNode
  children: (data: D) => ReactNode
}) {
  const { data, fetching, error } = result
  let errorBox: ReactNode = null
  if (error && (data == null || staleError !== 'children')) {
    const box = (
      <ErrorBox title={typeof errorTitle === 'function' ? errorTitle(error) : errorTitle} onRetry={onRetry}>
        {errorText(error)}
      </ErrorBox>
    )
    errorBox = errorClassName ? <div className={errorClassName}>{box}</div> : box
  }
  if (data == null) {
    if (errorBox) return errorBox
    if (fetching) return <Loading label={loading} />
    return null
  }
  if (errorBox && staleError === 'replace') return errorBox
  const body = isEmpty?.(data) ? (errorBox && staleError === 'above' ? null : empty) : children(data)
  return (
    <>
      {errorBox}
      {body}
    </>
  )
}
