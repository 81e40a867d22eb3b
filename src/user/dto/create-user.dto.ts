import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import type { User } from '../entities/user.entity';

export class CreateUserRequest {
  @ApiProperty({ example: 'kim', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;
}

export class UserResponse {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 'kim' }) name: string;
}

export function toUserResponse(user: User): UserResponse {
  return { id: user.id, name: user.name };
}
