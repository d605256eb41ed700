import { Link } from 'react-router'
import { EmptyState } from '../components/feedback'

export function NotFoundPage() {
  return (
    <EmptyState title="This page does not exist">
      <p>
        Go to the{' '}
        <Link to="/webhooks" className="font-medium text-indigo-700 underline">
          webhooks
        </Link>
        .
      </p>
    </EmptyState>
  )
}
